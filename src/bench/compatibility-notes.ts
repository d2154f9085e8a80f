/**
 * What changed between release lines, for each check whose verdict or figure differs between
 * Debian suites in `npm run bench:matrix` ("<scenario id> <check id>" → the explanation). The
 * generated docs/compatibility.md prints these beside the differing cells; a difference without
 * a note is printed as unexplained, and the bench fails on it.
 */
export const COMPATIBILITY_NOTES: Readonly<Record<string, string>> = {};
