// The report's one stylesheet, inlined in the page (nothing is fetched). Colours follow jcstress's
// index: green as expected, red not, amber for a bug found where the scenario expects it.
export const STYLE = `
:root { --ok: #2e7d32; --bad: #c62828; --bug: #ef6c00; --none: #9e9e9e; --line: #ddd; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #212121; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 12px 0 6px; } h4 { font-size: 13px; margin: 8px 0 4px; font-weight: 600; }
code, pre { font: 12px/1.35 ui-monospace, monospace; }
table { border-collapse: collapse; } th, td { padding: 3px 8px; text-align: left; vertical-align: top; }
.meta th { color: #616161; font-weight: normal; } .note { color: #616161; }
.warnings li { color: var(--bad); }
.totals span { display: inline-block; margin-right: 16px; font-weight: 600; }
table.matrix th, table.matrix td { border: 1px solid var(--line); }
table.matrix td { min-width: 90px; }
a.v { display: block; margin: 2px 0; padding: 1px 6px; border-radius: 3px; color: #fff; text-decoration: none; font-size: 12px; white-space: nowrap; }
.v.never { background: var(--ok); } .v.found { background: var(--bug); } .v.disagrees { background: var(--bad); outline: 2px solid #000; }
.v.unknown { background: var(--none); }
.legend span { display: inline-block; margin-right: 12px; } .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; border-radius: 2px; }
.side { display: flex; flex-wrap: wrap; gap: 16px; }
.profile { flex: 1 1 420px; border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; }
.role { font-weight: normal; color: #616161; }
table.hist { width: 100%; } table.hist td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.hist td.bar { width: 40%; } .bar div { height: 12px; min-width: 1px; border-radius: 2px; }
.bar .acceptable { background: var(--ok); } .bar .forbidden { background: var(--bad); } .bar .interesting { background: var(--bug); }
tr.forbidden td:first-child { color: var(--bad); font-weight: 600; }
.badge { font-weight: 600; } .badge.disagrees { color: var(--bad); } .badge.found { color: var(--bug); } .badge.never { color: var(--ok); }
article.failure { border-left: 4px solid var(--bad); padding: 4px 12px; margin: 12px 0; background: #fafafa; }
pre.diagram { overflow-x: auto; background: #fff; border: 1px solid var(--line); padding: 8px; }
svg { max-width: 100%; height: auto; }
`;
