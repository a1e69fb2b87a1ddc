/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and prints where the time went: self time per function and per
 * package (node_modules/<name>, node: internals, the project's own code), top entries first.
 *
 *   node dist/bench/cpu-profile-top.js <file.cpuprofile> [--top N]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node: internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  const own = /\/dist\/(apps|libs|bench|scripts)\/([^/]+)/.exec(url);
  return own ? `pavilion ${own[1]}/${own[2]}` : url;
}

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-top <file.cpuprofile> [--top N]');
  const topAt = rest.indexOf('--top');
  const top = topAt >= 0 ? Number(rest[topAt + 1]) : 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)');
  const idleUs = idle.reduce((a, [, us]) => a + us, 0);
  const busy = total - idleUs;

  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const where = frame.url
      ? `${packageOf(frame.url)} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
    const pkg = packageOf(frame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const share = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  console.log(
    `profile ${(total / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s (${((busy / total) * 100).toFixed(0)}%), shares below are of busy time`,
  );
  console.log('\nself time by package');
  for (const [pkg, us] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${share(us)}  ${pkg}`);
  console.log('\nself time by function');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${share(us)}  ${name}`);
}

main();
