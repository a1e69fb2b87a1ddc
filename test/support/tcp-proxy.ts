import net from 'node:net';

/**
 * A TCP proxy the test controls, between the apps and a shared service (PostgreSQL, Redis, SMTP): `cut()` drops
 * every connection and refuses new ones, as a restart or an outage would; `restore()` listens again on the same
 * port. The shared service itself is never stopped.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Connections accepted so far (to see that the apps came back through the proxy). */
  accepted = 0;

  private constructor(
    private targetHost: string,
    private targetPort: number,
  ) {}

  /** Sends new connections to another service (one that starts after the proxy, as a test's SMTP sink does). */
  retarget(target: string): void {
    const url = new URL(target);
    this.targetHost = url.hostname;
    this.targetPort = Number(url.port);
  }

  static async start(target: string): Promise<TcpProxy> {
    const url = new URL(target);
    const proxy = new TcpProxy(url.hostname, Number(url.port));
    await proxy.listen();
    return proxy;
  }

  /** The service's URL with the proxy's address in place of the service's. */
  url(target: string): string {
    const url = new URL(target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
    this.server = undefined;
  }

  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private async listen(): Promise<void> {
    const server = net.createServer((client) => {
      this.accepted++;
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }
}
