import type pg from 'pg';

/**
 * Seeds environment `environment` with `flags` flags (a flexibleRollout each)
 * and then changes until it stands at about `versions` versions, straight in
 * SQL through the change triggers (so every change is a real change event):
 * each round flips and re-rolls every flag in one statement (one version per
 * flag), and every tenth round changes the segments too. States and segments
 * differ from version to version, as a busy installation's do.
 */
export async function seedHistory(db: pg.Pool | pg.Client, environment: string, flags: number, versions: number, onRound?: (version: number) => void): Promise<number> {
  await db.query(`insert into environment (key) values ($1) on conflict do nothing`, [environment]);
  await db.query(
    `insert into flag (key) select 'history-' || lpad(g::text, 5, '0') from generate_series(1, $1) g on conflict do nothing`,
    [flags],
  );
  await db.query(
    `insert into flag_state (flag_id, environment_key, strategies)
     select id, $1, jsonb_build_array(flagship_rollout_strategy(gen_random_uuid()::text, key, 50))
       from flag where key like 'history-%' order by key
     on conflict do nothing`,
    [environment],
  );
  await db.query(`insert into segment (name, constraints)
                  select 'history-segment-' || g, jsonb_build_array(jsonb_build_object('contextName', 'plan', 'operator', 'IN', 'values', jsonb_build_array('pro')))
                    from generate_series(1, 20) g on conflict do nothing`);
  let version = await currentVersion(db, environment);
  for (let round = 0; version < versions; round += 1) {
    await db.query(
      `update flag_state s
          set enabled = not s.enabled,
              strategies = jsonb_set(s.strategies, '{0,parameters,rollout}', to_jsonb((floor(random() * 101))::int::text))
         from flag f
        where f.id = s.flag_id and s.environment_key = $1 and f.key like 'history-%'`,
      [environment],
    );
    if (round % 10 === 0) {
      await db.query(`update segment set constraints = jsonb_set(constraints, '{0,values}', jsonb_build_array('pro', 'round-' || $1::text)) where name like 'history-segment-%'`, [round]);
    }
    version = await currentVersion(db, environment);
    onRound?.(version);
  }
  return version;
}

async function currentVersion(db: pg.Pool | pg.Client, environment: string): Promise<number> {
  const { rows } = await db.query<{ version: string }>(`select version from environment where key = $1`, [environment]);
  return Number(rows[0]!.version);
}
