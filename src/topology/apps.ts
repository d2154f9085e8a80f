/**
 * The kinds of app the bench puts behind a front: its echo app (the ASP.NET Core sample's twin)
 * and a socket.io app. What a topology needs of each: the bundle the node image runs, the
 * environment that makes it listen on the network, where its WebSocket path is.
 */
export type AppKind = 'echo' | 'socketio';

export interface AppKindSpec {
  kind: AppKind;
  /** The bundle in dist/ the node image runs. */
  bundle: string;
  /** The environment that makes it listen on 0.0.0.0:port, under this replica id. */
  listenEnv(port: number, replica: string): Record<string, string>;
  /** Where its WebSocket (or socket.io's engine) answers. */
  path: string;
}

export const APP_KINDS: Readonly<Record<AppKind, AppKindSpec>> = {
  echo: {
    kind: 'echo',
    bundle: 'echo-server.mjs',
    listenEnv: (port) => ({ ECHO_HOST: '0.0.0.0', ECHO_PORT: String(port) }),
    path: '/ws',
  },
  socketio: {
    kind: 'socketio',
    bundle: 'socketio-server.mjs',
    listenEnv: (port, replica) => ({ SOCKETIO_HOST: '0.0.0.0', SOCKETIO_PORT: String(port), SOCKETIO_REPLICA_ID: replica }),
    path: '/socket.io/',
  },
};
