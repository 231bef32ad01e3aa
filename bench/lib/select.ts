/** `--case` picks listings and vendors by the start of their key: `awardee` picks every Awardee case. */
export function selected(key: string, cases?: string[]): boolean {
	return !cases || cases.some((name) => key.toLowerCase().startsWith(name.toLowerCase()));
}
