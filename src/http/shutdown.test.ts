import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.ts';

describe('a shutdown', () => {
  it('does not wait for a connection that never carried a request', async () => {
    const t = await createTestApp();
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    // A spare connection, as browsers and fetch open: connected, and nothing sent.
    const spare = connect(Number(new URL(address).port), '127.0.0.1');
    spare.on('error', () => {});
    await new Promise((resolve) => spare.once('connect', resolve));
    const closed = new Promise((resolve) => spare.once('close', resolve));
    const started = performance.now();
    await t.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    await closed;
  });
});
