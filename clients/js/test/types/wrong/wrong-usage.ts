// A deliberate type error, which the type check must report (test/types.test.mjs): the option of the client's
// request timeout is requestTimeout, not the old name timeoutMs.
import { WsrvClient } from '@wsrv/client';

export const c = new WsrvClient('ws://127.0.0.1:8800/ws', { timeoutMs: 1000 });
