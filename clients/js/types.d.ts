// The public types of the wsrv JavaScript client (wsrv.js). The implementation is checked against them by `tsc`
// in the test run (test/types/conformance.ts): a difference in either direction fails the run.

/** A reply or push envelope as the server sends it. */
export interface WsrvEnvelope<T = unknown> {
  cmd: string;
  seqno: string;
  status: number;
  msg: string;
  data: T;
}

/** A request envelope as the client sends it. */
export interface WsrvRequest {
  cmd: string;
  seqno: string;
  data?: unknown;
}

/** Any object with the standard WebSocket shape (the browser's WebSocket, the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: any) => void): void;
}

/** A class with the standard WebSocket constructor. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: any) => WebSocketLike;

/** Reconnecting with exponential backoff and jitter; every time is in milliseconds. */
export interface ReconnectOptions {
  /** The delay before the first attempt after a close (default 500). */
  initialDelay?: number;
  /** The longest delay (default 30000). */
  maxDelay?: number;
  /** The delay grows by this factor after each failed attempt (default 2). */
  factor?: number;
  /** Each delay is shortened by a random part of up to this fraction, so that clients spread out (default 0.5). */
  jitter?: number;
  /** Gives up after this many failed attempts in a row; 0 (the default) or Infinity never gives up. */
  maxAttempts?: number;
}

/** The options of a client; every time is in milliseconds. */
export interface WsrvClientOptions {
  /** The WebSocket class; `globalThis.WebSocket` by default. In Node, pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Subprotocols, the WebSocket constructor's second argument. */
  protocols?: string | string[];
  /** The WebSocket constructor's third argument (only the `ws` package has one: headers, agent, ...). */
  wsOptions?: unknown;
  /** The timeout of requests that do not give their own (default 10000; 0 waits without limit). */
  requestTimeout?: number;
  /** How long opening a connection may take (default 10000). */
  connectTimeout?: number;
  /** The interval of the empty-frame heartbeat (default 10000; 0 turns it off). */
  heartbeatInterval?: number;
  /**
   * Ends a connection that received no frame for so long as lost (code 1006; a reconnect follows if on). Default 0:
   * off. Only for servers that send something at least that often; the wsrv server echoes heartbeats only on a
   * resumable session, where the client watches for two heartbeat intervals and 5 s of silence anyway.
   */
  silenceTimeout?: number;
  /** The largest inbound message in characters (text) or bytes (binary); a larger one closes the connection (default 16 MiB). */
  maxMessageSize?: number;
  /** Reconnects after a close that the client did not ask for (default off; `true` for the default backoff). */
  reconnect?: boolean | ReconnectOptions;
  /**
   * Asks the server for a resumable session (docs/protocol.md#resumable-sessions): after a lost connection the client
   * resumes it on the next one, with the pushes it missed replayed once and in order, and tells the 'session'
   * listeners whether it was recovered. Default: on when `reconnect` is set. A server that does not resume sessions
   * is used as one without them.
   */
  resume?: boolean;
  /**
   * Awaited after every successful reconnect to a new session, before the 'reconnect' event: the new session
   * registers again here. Not run when the reconnect resumed the session.
   */
  onReconnect?: (client: WsrvClient) => void | Promise<unknown>;
  onOpen?: (info: WsrvEventMap['open']) => void;
  onClose?: (info: CloseInfo) => void;
  onError?: (error: unknown) => void;
  onReconnected?: (info: WsrvEventMap['reconnect']) => void;
  onMessage?: (envelope: WsrvEnvelope) => void;
  onSend?: (request: WsrvRequest) => void;
  /** A 'session' listener from the first connection on. */
  onSession?: (info: SessionInfo) => void;
}

/** The options in effect, defaults filled in. */
export interface ResolvedOptions {
  readonly requestTimeout: number;
  readonly connectTimeout: number;
  readonly heartbeatInterval: number;
  readonly silenceTimeout: number;
  readonly maxMessageSize: number;
  /** The backoff, or null when the client does not reconnect. */
  readonly reconnect: Readonly<Required<ReconnectOptions>> | null;
  /** Whether the client asks for a resumable session. */
  readonly resume: boolean;
}

/** The options of one request. */
export interface RequestOptions {
  /** This request's timeout in milliseconds, instead of the client's `requestTimeout` (0 waits without limit). */
  timeout?: number;
  /** Resolves with the whole reply envelope, whatever its status. */
  raw?: boolean;
}

/** How a connection closed. */
export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  /** True when close() of this client caused it. */
  byClient: boolean;
  /** True when a reconnect attempt follows. */
  willReconnect: boolean;
}

/** A reconnect attempt that starts after `delay` milliseconds; `attempt` counts from 1 since the last connection. */
export interface ReconnectingInfo {
  attempt: number;
  delay: number;
}

/**
 * What the server said about the session of a connection, when the client asked to resume: the session was
 * recovered, with the pushes missed meanwhile replayed, or a new session began and `reason` says why.
 */
export interface SessionInfo {
  /** The session's id. */
  sessionId: string;
  /** True when the session of the previous connection was resumed. */
  recovered: boolean;
  /**
   * Why it was not recovered: 'new' (the first connection), 'expired', 'unknown-token', 'buffer-full', or another
   * reason of docs/protocol.md#resumable-sessions; '' when recovered.
   */
  reason: string;
  /** How many missed pushes the server replayed; 0 when not recovered. */
  replayed: number;
}

export type PushListener<T = any> = (data: T, envelope: WsrvEnvelope<T>) => void;

export interface WsrvEventMap {
  open: { url: string };
  close: CloseInfo;
  reconnecting: ReconnectingInfo;
  reconnect: { url: string };
  error: unknown;
  message: WsrvEnvelope;
  send: WsrvRequest;
  heartbeat: {};
  session: SessionInfo;
}

/** The common class of the client's failures. */
export class WsrvError extends Error {
  /** 'WSRV_STATUS', 'WSRV_TIMEOUT' or 'WSRV_DISCONNECTED'. */
  readonly code: string;
  /** The request's command, when the failure concerns a request. */
  readonly cmd: string | undefined;
  /** The request's seqno, when the failure concerns a request. */
  readonly seqno: string | undefined;
  constructor(message: string, code: string, cmd?: string, seqno?: string);
}

/**
 * A reply whose status is not 0. The message says what the reply said, data included (a list of `{path, message}`
 * problems as `path: message; ...`, other data as JSON, none or `{}` not at all), cut at 500 characters:
 * `wsrv: register (seqno k3jx9a-4) failed with status 422: invalid data: uid: must be a positive integer`.
 */
export class WsrvStatusError extends WsrvError {
  readonly code: 'WSRV_STATUS';
  readonly status: number;
  readonly msg: string;
  readonly data: any;
  readonly cmd: string;
  readonly seqno: string;
  constructor(reply: WsrvEnvelope);
}

/** No reply within the request's timeout. */
export class WsrvTimeoutError extends WsrvError {
  readonly code: 'WSRV_TIMEOUT';
  readonly cmd: string;
  readonly seqno: string;
  /** The timeout that passed, in milliseconds. */
  readonly timeout: number;
  constructor(cmd: string, seqno: string, timeout: number);
}

/** Not connected, could not connect, or the connection closed before the reply. */
export class WsrvConnectionError extends WsrvError {
  readonly code: 'WSRV_DISCONNECTED';
  /** The close code, when a close caused it (1006: no close frame). */
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;
  /** The HTTP status the server refused the upgrade with, where the WebSocket implementation tells (`ws` does). */
  readonly handshakeStatus: number | undefined;
  constructor(message: string, details?: {
    cmd?: string; seqno?: string; closeCode?: number; closeReason?: string; handshakeStatus?: number;
  });
}

export class WsrvClient {
  /** Opens a connection and resolves once it is open. `url` may be a function, asked before every attempt. */
  static connect(url: string | URL | (() => string | URL), opts?: WsrvClientOptions): Promise<WsrvClient>;
  constructor(url: string | URL | (() => string | URL), opts?: WsrvClientOptions);
  /** The URL of the current or last connection attempt. */
  readonly url: string;
  /** True while the connection is open. */
  readonly connected: boolean;
  readonly options: ResolvedOptions;
  /** Opens the first connection; connect() does this for you. */
  open(): Promise<WsrvClient>;
  /** Sends a request; resolves with the reply's data, or rejects with a WsrvError. */
  request<T = any>(cmd: string, data?: unknown, opts?: RequestOptions & { raw?: false }): Promise<T>;
  /** Sends a request; resolves with the whole reply envelope, whatever its status. */
  request<T = any>(cmd: string, data: unknown, opts: RequestOptions & { raw: true }): Promise<WsrvEnvelope<T>>;
  /**
   * Sends a request; resolves with the reply's data, or rejects with the WsrvError itself, whose stack is the
   * caller's: request() for code that awaits each reply, like the Java client's blocking call().
   */
  call<T = any>(cmd: string, data?: unknown, opts?: Pick<RequestOptions, 'timeout'>): Promise<T>;
  /** Listens to pushes of `cmd`, or of every command with '*'. Returns an unsubscribe function. */
  onPush<T = any>(cmd: string, listener: PushListener<T>): () => void;
  /** Listens to client events. Returns an unsubscribe function. */
  on<K extends keyof WsrvEventMap>(event: K, listener: (arg: WsrvEventMap[K]) => void): () => void;
  /** Changes the heartbeat interval (0 turns it off); takes effect at once when connected. */
  setHeartbeatInterval(ms: number): void;
  /** Sends an empty heartbeat frame now; false when not connected. */
  heartbeat(): boolean;
  /** Closes for good (no reconnect); pending requests fail. */
  close(code?: number, reason?: string): Promise<{ code: number; reason: string }>;
}

/** One command of an application's contract: the type of its request's data and of its reply's data. */
export interface CommandTypes {
  data: unknown;
  reply: unknown;
}

/** The arguments after the command: data (optional when the command takes none) and options. */
type RequestArgs<D, O> = undefined extends D ? [data?: D, opts?: O] : [data: D, opts?: O];

/**
 * The client seen through an application's contract: `C` gives each command's data and reply types, `P` each declared
 * push's data type, as `tools/wsrv-types.mjs` writes them from the application's AsyncAPI document. Only the commands
 * of `C` can be requested, each with its data, and replies and pushes are typed. A WsrvClient is one:
 * `const client: TypedClient<Commands, Pushes> = await WsrvClient.connect(url)`. The checks are the compiler's; the
 * server stays the authority (a 422 still comes as a WsrvStatusError).
 */
export interface TypedClient<C extends { [K in keyof C]: CommandTypes }, P extends object = {}>
  extends Omit<WsrvClient, 'request' | 'call' | 'onPush'> {
  /** Sends a request of one of the contract's commands; resolves with its reply's data, or rejects with a WsrvError. */
  request<K extends keyof C & string>(cmd: K, ...args: RequestArgs<C[K]['data'], RequestOptions & { raw?: false }>):
    Promise<C[K]['reply']>;
  /** Sends a request; resolves with the whole reply envelope, whatever its status. */
  request<K extends keyof C & string>(cmd: K, data: C[K]['data'], opts: RequestOptions & { raw: true }):
    Promise<WsrvEnvelope<C[K]['reply']>>;
  /** As WsrvClient.call, for one of the contract's commands. */
  call<K extends keyof C & string>(cmd: K, ...args: RequestArgs<C[K]['data'], Pick<RequestOptions, 'timeout'>>):
    Promise<C[K]['reply']>;
  /** Listens to pushes of one of the declared pushes. Returns an unsubscribe function. */
  onPush<K extends keyof P & string>(cmd: K, listener: PushListener<P[K]>): () => void;
  /** Listens to every push. Returns an unsubscribe function. */
  onPush(cmd: '*', listener: PushListener<unknown>): () => void;
}

/** Same as WsrvClient.connect(url, opts). */
export function connect(url: string | URL | (() => string | URL), opts?: WsrvClientOptions): Promise<WsrvClient>;

export default WsrvClient;
