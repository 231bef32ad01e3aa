// Removes build output, so a release never ships files of deleted sources.
require('fs').rmSync(require('path').join(__dirname, '..', 'dist'), { recursive: true, force: true });
