import WebSocket from 'ws';

/** Opens a WebSocket, sends `text`, resolves with the first message back (5 s at most). */
export function echoOnce(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: 5_000 });
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`no echo from ${url} within 5 s`)); }, 5_000);
    ws.once('open', () => ws.send(text));
    ws.once('message', (data) => { clearTimeout(timer); ws.close(); resolve(data.toString()); });
    ws.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
}
