/**
 * Why a server could not listen, in the words a user acts on: the port in use, a privileged port,
 * a host that is not this machine's, each naming the flag and environment variable that move it.
 * Shared by `serve`, `front` and the socket.io app, so each says it the same way.
 */

export interface ListenPlace {
  /** Who is listening, for the message: `echo server`, `http-front`. */
  what: string;
  host: string;
  port: number;
  /** The environment variables beside --port and --host: `ECHO_PORT`, `ECHO_HOST`. */
  portEnv: string;
  hostEnv: string;
}

export function listenError(err: NodeJS.ErrnoException, place: ListenPlace): Error {
  const { what, host, port, portEnv, hostEnv } = place;
  const where = `${host}:${port}`;
  if (err.code === 'EADDRINUSE') {
    return new Error(`${what}: port ${port} on ${host} is already in use; stop what is listening there or choose another port with --port / ${portEnv} (0 picks a free one)`);
  }
  if (err.code === 'EACCES') {
    return new Error(`${what}: not allowed to listen on ${where} (ports below 1024 need privileges); choose another port with --port / ${portEnv}`);
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return new Error(`${what}: cannot listen on host ${host} (not an address of this machine); use --host / ${hostEnv}, e.g. 127.0.0.1 or 0.0.0.0`);
  }
  return new Error(`${what}: cannot listen on ${where}: ${err.message}`);
}
