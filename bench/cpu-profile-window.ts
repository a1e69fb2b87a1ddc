import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * A V8 CPU profile of this process's main thread over one window only (the rush, not the set-up before it),
 * written where `node --cpu-prof` would write its file, for `bench/cpu-profile-top.ts` to read.
 */
export async function profileWindow<T>(file: string | undefined, window: () => Promise<T>): Promise<T> {
  if (!file) return window();
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await window();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`  CPU profile     of the rush window written to ${file}`);
  }
}
