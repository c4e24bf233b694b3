import { isMap, parseDocument, stringify } from 'yaml';
import { CliError } from './errors.js';
import {
  byCodeUnit,
  canonicalSegment,
  canonicalState,
  type Constraint,
  type Segment,
  type ServerFlag,
  type StateConfig,
  type Strategy,
  type Variant,
} from './model.js';

/** One flag in a file: what the flag is, and its configuration per environment the file manages. */
export interface FileFlag {
  description?: string;
  type?: string;
  project?: string;
  environments: Record<string, StateConfig>;
}

/**
 * A flag file: the environments it manages, the segments (for reference: strategies name
 * them by id), and each flag.
 */
export interface FlagFile {
  environments: string[];
  segments: Segment[];
  flags: Record<string, FileFlag>;
}

/** The file for these flags and environments, in canonical form and order. */
export function flagFileOf(flags: ServerFlag[], environments: string[], segments: Segment[]): FlagFile {
  const managed = [...environments].sort(byCodeUnit);
  const out: Record<string, FileFlag> = {};
  for (const flag of [...flags].sort((a, b) => byCodeUnit(a.key, b.key))) {
    const states: Record<string, StateConfig> = {};
    for (const environment of managed) {
      const state = flag.environments[environment];
      if (state) states[environment] = canonicalState(state);
    }
    out[flag.key] = {
      description: flag.description,
      type: flag.type,
      ...(flag.project === undefined ? {} : { project: flag.project }),
      environments: states,
    };
  }
  return { environments: managed, segments: [...segments].sort((a, b) => a.id - b.id).map(canonicalSegment), flags: out };
}

/** The file as YAML, with a header saying where it came from and what to do with it. */
export function flagFileToYaml(file: FlagFile, header: string): string {
  const body = stringify(
    { environments: file.environments, segments: file.segments, flags: file.flags },
    { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false },
  );
  return `${header.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n')}\n${body}`;
}

/** Reads a flag file, refusing (exit 1) anything malformed with the path of the offending field. */
export function parseFlagFile(text: string, name: string): FlagFile {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const where = first.linePos?.[0] ? `:${first.linePos[0].line}:${first.linePos[0].col}` : '';
    throw new CliError(`${name}${where}: not valid YAML: ${first.message.split('\n')[0]}`);
  }
  if (!isMap(document.contents)) throw new CliError(`${name}: expected a mapping with environments, segments and flags`);
  const data = document.toJS() as Record<string, unknown>;
  const check = new Checker(name);
  check.keys(data, [], ['environments', 'segments', 'flags']);
  const flagsValue = data.flags ?? {};
  const flags: Record<string, FileFlag> = {};
  for (const [key, value] of Object.entries(check.mapping(flagsValue, ['flags']))) {
    const path = ['flags', key];
    const flag = check.mapping(value, path);
    check.keys(flag, path, ['description', 'type', 'project', 'environments']);
    const states: Record<string, StateConfig> = {};
    for (const [environment, state] of Object.entries(check.mapping(flag.environments ?? {}, [...path, 'environments']))) {
      states[environment] = check.state(state, [...path, 'environments', environment]);
    }
    flags[key] = {
      description: check.optionalString(flag.description, [...path, 'description']),
      type: check.optionalString(flag.type, [...path, 'type']),
      project: check.optionalString(flag.project, [...path, 'project']),
      environments: states,
    };
  }
  const named = data.environments === undefined ? undefined : check.list(data.environments, ['environments']).map((entry, index) => check.string(entry, ['environments', index]));
  const used = new Set(Object.values(flags).flatMap((flag) => Object.keys(flag.environments)));
  const environments = named ?? [...used].sort(byCodeUnit);
  for (const [key, flag] of Object.entries(flags)) {
    for (const environment of Object.keys(flag.environments)) {
      if (!environments.includes(environment)) {
        throw new CliError(`${name}: flags.${key}.environments.${environment}: '${environment}' is not one of the file's environments (${environments.join(', ')})`);
      }
    }
  }
  const segments = data.segments === undefined ? [] : check.list(data.segments, ['segments']).map((entry, index) => check.segment(entry, ['segments', index]));
  return { environments, segments, flags };
}

type Path = Array<string | number>;

/** Structural checks with messages that name the field; the server checks the rest (and names the field too). */
class Checker {
  constructor(private readonly file: string) {}

  fail(path: Path, message: string): never {
    throw new CliError(`${this.file}: ${path.length > 0 ? path.join('.') : '(top)'}: ${message}`);
  }

  mapping(value: unknown, path: Path): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a mapping');
    return value as Record<string, unknown>;
  }

  list(value: unknown, path: Path): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'must be a list');
    return value;
  }

  keys(value: Record<string, unknown>, path: Path, allowed: string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail([...path, key], `unknown field (expected ${allowed.join(', ')})`);
    }
  }

  string(value: unknown, path: Path): string {
    if (typeof value !== 'string') this.fail(path, 'must be a string');
    return value;
  }

  optionalString(value: unknown, path: Path): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  boolean(value: unknown, path: Path): boolean {
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value;
  }

  state(value: unknown, path: Path): StateConfig {
    const state = this.mapping(value, path);
    this.keys(state, path, ['enabled', 'strategies', 'variants', 'dependencies']);
    if (state.enabled === undefined) this.fail([...path, 'enabled'], 'is required (true or false)');
    const strategies = this.list(state.strategies ?? [], [...path, 'strategies']).map((strategy, index) => this.strategy(strategy, [...path, 'strategies', index]));
    const variants = this.list(state.variants ?? [], [...path, 'variants']).map((variant, index) => this.mapping(variant, [...path, 'variants', index]) as unknown as Variant);
    const dependencies = this.list(state.dependencies ?? [], [...path, 'dependencies']).map((dependency, index) => {
      const entry = this.mapping(dependency, [...path, 'dependencies', index]);
      this.string(entry.feature, [...path, 'dependencies', index, 'feature']);
      return entry as unknown as NonNullable<StateConfig['dependencies']>[number];
    });
    return canonicalState({ enabled: this.boolean(state.enabled, [...path, 'enabled']), strategies, variants, dependencies });
  }

  strategy(value: unknown, path: Path): Strategy {
    const strategy = this.mapping(value, path);
    this.keys(strategy, path, ['name', 'id', 'title', 'disabled', 'parameters', 'constraints', 'segments', 'variants']);
    this.string(strategy.name, [...path, 'name']);
    if (strategy.id !== undefined) this.string(strategy.id, [...path, 'id']);
    const parameters = this.mapping(strategy.parameters ?? {}, [...path, 'parameters']);
    for (const [key, parameter] of Object.entries(parameters)) {
      // Unleash keeps parameters as strings; YAML reads `rollout: 50` as a number, which means the same.
      if (!['string', 'number', 'boolean'].includes(typeof parameter)) this.fail([...path, 'parameters', key], 'must be a string');
      parameters[key] = String(parameter);
    }
    this.list(strategy.constraints ?? [], [...path, 'constraints']).forEach((constraint, index) => this.mapping(constraint, [...path, 'constraints', index]));
    return { ...(strategy as unknown as Strategy), parameters: parameters as Record<string, string> };
  }

  segment(value: unknown, path: Path): Segment {
    const segment = this.mapping(value, path);
    if (typeof segment.id !== 'number') this.fail([...path, 'id'], 'must be the segment id (a number)');
    return {
      id: segment.id,
      name: this.string(segment.name, [...path, 'name']),
      description: this.optionalString(segment.description, [...path, 'description']) ?? '',
      constraints: this.list(segment.constraints ?? [], [...path, 'constraints']) as Constraint[],
    };
  }
}
