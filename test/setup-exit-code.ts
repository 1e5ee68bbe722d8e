/**
 * A SovereignStack whose proof fails sets `process.exitCode = 1` when it is
 * synthesized, as the app must. Tests synthesize failing stacks on purpose and
 * read their findings, so the exit code of the test run is left to jest.
 */
afterEach(() => {
  process.exitCode = undefined;
});
