const { src, dest, parallel } = require('gulp');

// tsc emits the JavaScript and the codex .node.json files; the icons are copied here. The top-level
// icons/ folder must land in dist/icons, since nodes and credentials refer to it as file:../../icons/….
function copyIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest('dist/icons'));
}

function copyNodeImages() {
	return src('nodes/**/*.{png,svg}', { allowEmpty: true }).pipe(dest('dist/nodes'));
}

function copyCredentialImages() {
	return src('credentials/**/*.{png,svg}', { allowEmpty: true }).pipe(dest('dist/credentials'));
}

exports['build:icons'] = parallel(copyIcons, copyNodeImages, copyCredentialImages);
