// The seed integration tests run with: FOLIORACE_TEST_SEED, or "1". Printed in every test title
// that depends on it, so a failure names the seed that reproduces it.
export const TEST_SEED = process.env['FOLIORACE_TEST_SEED'] ?? '1';
