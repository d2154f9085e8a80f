/** One line per event (upgrade, close, error); stdout in a container, injectable for tests. */
export type FrontLog = (line: string) => void;

export const stdoutLog: FrontLog = (line) => {
  process.stdout.write(`${new Date().toISOString()} http-front ${line}\n`);
};

export const silentLog: FrontLog = () => {};
