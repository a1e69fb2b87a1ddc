// Builds dist/ when it is missing or older than any TypeScript source or site template/stylesheet, so `npm start` works on a fresh clone.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|eta|css)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const sources = ['apps', 'libs', 'migrations', 'scripts', 'bench']
    .map((d) => path.join(root, d))
    .filter((d) => fs.existsSync(d));
  const newest = Math.max(
    ...sources.map(newestSource),
    fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs,
  );
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newest) return;
  console.log('Building Pavilion (dist/ is missing or out of date)…');
  execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, new Date().toISOString());
}

module.exports = { ensureBuild };
if (require.main === module) ensureBuild();
