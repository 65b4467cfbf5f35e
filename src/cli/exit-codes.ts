/** Exit codes shared by every command: 0 success, 1 the input is invalid or not representable, 2 usage or read error. */
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
