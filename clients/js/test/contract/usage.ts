// How the demo's generated declaration (written next to this file by contract.test.mjs) types the client.
import { WsrvClient, type WebSocketConstructor } from '@wsrv/client';
import type { Client, UserCommands_UserInfo } from './demo-commands.js';

declare const WebSocket: WebSocketConstructor;

export async function typed(): Promise<void> {
  const client: Client = await WsrvClient.connect('ws://127.0.0.1:8800/ws', { WebSocket });
  await client.request('register', { uid: 7 });
  const info: UserCommands_UserInfo = await client.request('userinfo');
  const name: string | undefined = info.name;
  const again = await client.call('userinfo', null, { timeout: 1000 });
  const uid: number | undefined = again.uid;
  const envelope = await client.request('userinfo', null, { raw: true });
  const status: number = envelope.status;
  client.onPush('user_register', (data) => {
    const registered: number | undefined = data.uid;
    void registered;
  });
  client.onPush('*', (data, env) => void [data, env.cmd]);
  client.setHeartbeatInterval(10000);
  await client.close();
  void [name, uid, status];
}
