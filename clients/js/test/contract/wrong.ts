// Calls the demo's contract does not allow: each line must fail tsc (contract.test.mjs counts the errors).
import type { Client } from './demo-commands.js';

export async function wrong(client: Client): Promise<void> {
  await client.request('register', { uid: 'seven' });
  await client.request('register');
  await client.request('no_such_command', {});
  const info = await client.request('userinfo');
  const missing: string = info.nickname;
  client.onPush('user_registered', () => {});
  void missing;
}
