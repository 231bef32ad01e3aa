// n8n's community-node rules, wired the way `n8n-node lint` wires them, for the shipped sources.
// Tests, simulators and scripts are Node programs (servers, files, timers) that never ship: they get the
// TypeScript rules only, since the cloud rules forbid exactly what a simulator is made of.
import js from '@eslint/js';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const shipped = ['credentials/**/*.ts', 'nodes/**/*.ts'];

export default tseslint.config(
	{ ignores: ['dist/**', '.build/**', 'node_modules/**', 'coverage/**', '.e2e/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
		},
	},
	{
		files: shipped,
		extends: [communityNodes.configs.recommended],
		rules: { 'no-console': 'error' },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'n8n-nodes-base': n8nNodesBase, ...communityNodes.configs.recommended.plugins },
		rules: {
			...n8nNodesBase.configs.community.rules,
			...Object.fromEntries(
				Object.entries(communityNodes.configs.recommended.rules).filter(([name]) =>
					[
						'no-runtime-dependencies',
						'valid-peer-dependencies',
						'no-forbidden-lifecycle-scripts',
						'no-overrides-field',
						'n8n-object-validation',
						'package-name-convention',
						'require-files-array',
						'require-homepage',
						'valid-author',
						'valid-description',
						'require-version',
						'node-registration-complete',
					].some((rule) => name.endsWith(`/${rule}`)),
				),
			),
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-execute-block-wrong-error-thrown': 'off',
			// As in `n8n-node lint`: these two predate NodeConnectionTypes and reject it.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
);
