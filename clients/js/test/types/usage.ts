// How a TypeScript user writes against the package (resolved through package.json's "exports" to types.d.ts).
// Lines marked @ts-expect-error must stay errors: if one stops being one, `tsc` fails.
import {
  WsrvClient, WsrvConnectionError, WsrvError, WsrvStatusError, WsrvTimeoutError, connect,
  type CloseInfo, type WebSocketConstructor, type WsrvEnvelope,
} from '@wsrv/client';

declare const WebSocket: WebSocketConstructor;

interface UserInfo { uid: number; name: string }

export async function typical(): Promise<void> {
  const c = await WsrvClient.connect('ws://127.0.0.1:8800/ws', {
    WebSocket,
    requestTimeout: 5000,
    heartbeatInterval: 10000,
    silenceTimeout: 0,
    connectTimeout: 3000,
    maxMessageSize: 1 << 20,
    reconnect: { initialDelay: 500, maxDelay: 30000, factor: 2, jitter: 0.5, maxAttempts: 0 },
    onReconnect: (client) => client.request('register', { uid: 7 }),
  });
  const off = c.onPush<{ uid: number }>('have_user_register', (data, envelope) => {
    const uid: number = data.uid;
    const seqno: string = envelope.seqno;
    void uid;
    void seqno;
  });
  const me = await c.request<UserInfo>('userinfo', null, { timeout: 1000 });
  const name: string = me.name;
  const reply: WsrvEnvelope<UserInfo> = await c.request<UserInfo>('userinfo', undefined, { raw: true });
  const status: number = reply.status;
  c.on('close', (info: CloseInfo) => void info.willReconnect);
  c.on('reconnecting', ({ attempt, delay }) => void (attempt + delay));
  try {
    await c.request('nope');
  } catch (e) {
    if (e instanceof WsrvStatusError) void (e.status + e.msg.length);
    else if (e instanceof WsrvTimeoutError) void (e.timeout + e.cmd.length);
    else if (e instanceof WsrvConnectionError) void (e.closeCode ?? e.handshakeStatus);
    if (e instanceof WsrvError) void e.code;
  }
  const again = await connect(() => new URL('ws://127.0.0.1:8800/ws?token=t'), { WebSocket });
  c.setHeartbeatInterval(0);
  const sent: boolean = c.heartbeat();
  const backoff = c.options.reconnect;
  void (backoff && backoff.jitter);
  off();
  await again.close();
  const closed: { code: number; reason: string } = await c.close(1000, 'bye');
  void [name, status, sent, closed];
}

export async function mistakes(c: WsrvClient): Promise<void> {
  // @ts-expect-error the option is requestTimeout, in milliseconds
  new WsrvClient('ws://x', { timeoutMs: 1000 });
  // @ts-expect-error the backoff's first delay is initialDelay
  new WsrvClient('ws://x', { reconnect: { initialDelayMs: 10 } });
  // @ts-expect-error a request's own timeout is timeout
  await c.request('x', null, { timeoutMs: 5 });
  // @ts-expect-error the command is a string
  await c.request(7);
  // @ts-expect-error a raw request resolves with the envelope, not the data
  const data: { uid: number } = await c.request<{ uid: number }>('x', null, { raw: true });
  // @ts-expect-error no such event
  c.on('reconnected', () => {});
  // @ts-expect-error the interval setter is setHeartbeatInterval
  c.setHeartbeatMs(0);
  void data;
}
