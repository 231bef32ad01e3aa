// Fails when `npm pack` would ship anything but the build, the README, the licence and package.json.
const { execFileSync } = require('child_process');

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const allowed = /^(dist\/.+|README\.md|LICENSE(\.md)?|package\.json)$/;
const unexpected = pack.files.map((file) => file.path).filter((path) => !allowed.test(path));
const hasNodes = pack.files.some((file) => /^dist\/nodes\/.+\.node\.js$/.test(file.path));

console.log(`npm pack: ${pack.files.length} files, ${pack.size} bytes packed`);
if (unexpected.length > 0 || !hasNodes) {
	console.error(`npm pack would ship unexpected files: ${unexpected.join(', ') || '(no built nodes)'}`);
	process.exit(1);
}
