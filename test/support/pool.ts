/** Runs `work` over `inputs` with at most `width` at once (sign-ups hash passwords: keep the machine usable). */
export async function pool<T, R>(
  inputs: T[],
  width: number,
  work: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < inputs.length) {
        const i = next++;
        results[i] = await work(inputs[i], i);
      }
    }),
  );
  return results;
}
