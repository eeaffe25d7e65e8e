// Models include/uapi/asm-generic/errno-base.h and errno.h: the error numbers the model returns,
// negated as the kernel returns them.
export const EAGAIN = -11;
export const ENOMEM = -12;
export const EFAULT = -14;
export const EINVAL = -22;
/** mm/gup.c follow_page_pte(): the R/O pin must ask for an exclusive page first (FAULT_FLAG_UNSHARE). */
export const EMLINK = -31;
