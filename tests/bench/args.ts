/** Command line of `npm run bench` (tests/bench/README.md): `--out FILE`, `--only PREFIX`. */
export interface BenchArgs {
  /** Write the JSON result here (it is printed to stdout as well). */
  out: string | null;
  /** Run only benchmarks whose ids start with this prefix. */
  only: string | null;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { out: null, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== '--out' && name !== '--only') throw new Error(`unknown argument: ${arg} (expected --out FILE, --only PREFIX)`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new Error(`${name} needs a value`);
    if (name === '--out') args.out = value;
    else args.only = value;
  }
  return args;
}

/** True when a benchmark id is selected by `--only` (no prefix selects everything). */
export function selected(id: string, only: string | null): boolean {
  return only === null || id.startsWith(only);
}

/** True when any of a group's ids is selected; a group measures its ids together. */
export function anySelected(ids: readonly string[], only: string | null): boolean {
  return ids.some((id) => selected(id, only));
}
