// A small chat-room service: the app a user puts behind their proxy, not the bench's echo server.
//
//   GET  /healthz          200 "ok"
//   WS   /chat/<room>      every message a member sends goes to every member of the room, the
//                          sender too, unchanged (text stays text, binary stays binary)
//
// Every 101 carries X-Chat-Server: own-app-chat/1, so a test can tell the app answered the
// upgrade and not the proxy. It sends no pings of its own: an idle member is cut by the proxy's
// idle timeout. It needs only the `ws` package (the test copies it beside this file).
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const IDENTITY = 'own-app-chat/1';
/** room name -> its members */
const rooms = new Map();

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-chat-server': IDENTITY });
    res.end('ok');
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

const wss = new WebSocketServer({ noServer: true });
wss.on('headers', (headers) => { headers.push(`X-Chat-Server: ${IDENTITY}`); });

server.on('upgrade', (req, socket, head) => {
  const room = /^\/chat\/([A-Za-z0-9_-]{1,64})$/.exec(new URL(req.url ?? '/', 'http://app').pathname)?.[1];
  if (!room) {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => join(room, ws));
});

function join(room, ws) {
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const member of members) {
      if (member.readyState === WebSocket.OPEN) member.send(data, { binary: isBinary });
    }
  });
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0) rooms.delete(room);
  });
  ws.on('error', () => {});
}

server.listen(port, '0.0.0.0', () => { console.log(`chat server listening on ${port}`); });
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.close(1001, 'going away');
  server.close(() => process.exit(0));
});
