import { checkWebhookTarget } from './webhook-target';

describe('webhook targets (SSRF guard)', () => {
  it.each([
    'http://127.0.0.1:3700/admin/queues',
    'http://localhost:3701/',
    'http://127.0.0.1:6379/',
    'http://[::1]:5432/',
    'http://0.0.0.0/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://172.16.5.4/',
    'http://100.64.0.1/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://user:pass@127.0.0.1/',
    'http://user:pass@93.184.215.14/',
    'ftp://93.184.215.14/',
    'http://224.0.0.1/',
  ])('refuses %s', async (url) => {
    await expect(checkWebhookTarget(url, [])).rejects.toThrow();
  });

  it('takes a public address and connects to the address it checked', async () => {
    await expect(checkWebhookTarget('https://93.184.215.14/hook', [])).resolves.toMatchObject({
      address: '93.184.215.14',
      family: 4,
    });
  });

  it('lets the allow-list name on-premise receivers by host, address or range', async () => {
    await expect(checkWebhookTarget('http://127.0.0.1:9000/', ['127.0.0.1'])).resolves.toBeDefined();
    await expect(checkWebhookTarget('http://10.1.2.3/', ['10.0.0.0/8'])).resolves.toBeDefined();
    await expect(checkWebhookTarget('http://localhost:9000/', ['localhost'])).resolves.toBeDefined();
    await expect(checkWebhookTarget('http://10.1.2.3/', ['192.168.0.0/16'])).rejects.toThrow();
  });
});
