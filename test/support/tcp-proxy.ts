import net from 'node:net';

/**
 * A TCP proxy the test controls, between the apps and a shared service (PostgreSQL, Redis, SMTP). The shared
 * service itself is never stopped; the proxy plays its failures:
 * - `cut()` drops every connection and refuses new ones, as a restart or a stopped service does;
 * - `hang()` drops every connection, then accepts new ones and never answers, as a service that stopped
 *   responding (or a network that drops packets) does;
 * - `restore()` forwards again, on the same port.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'forward' | 'hang' = 'forward';
  port = 0;
  /** Connections forwarded so far (to see that the apps came back through the proxy). */
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
    this.dropAll();
    await closed;
    this.server = undefined;
  }

  async hang(): Promise<void> {
    await this.switchTo('hang');
  }

  async restore(): Promise<void> {
    await this.switchTo('forward');
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private async switchTo(mode: TcpProxy['mode']): Promise<void> {
    // Connections held by a hang, or forwarded before a failure, end with the mode they were opened under.
    if (mode !== this.mode || mode !== 'forward') this.dropAll();
    this.mode = mode;
    if (!this.server) await this.listen();
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private track(socket: net.Socket): net.Socket {
    this.sockets.add(socket);
    return socket.on('close', () => this.sockets.delete(socket));
  }

  private async listen(): Promise<void> {
    const server = net.createServer((client) => {
      this.track(client).on('error', () => client.destroy());
      // Reads whatever comes and says nothing back, until the test restores or cuts.
      if (this.mode === 'hang') return void client.resume();
      this.accepted++;
      const upstream = this.track(net.connect(this.targetPort, this.targetHost));
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', drop);
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
