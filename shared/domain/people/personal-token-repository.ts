import type { Queryable } from '../../db/pool.js';
import type { Token } from '../../schemas/tokens.js';
import { TOKEN_COLUMNS } from '../tokens/token-repository.js';

/** The user's personal tokens, live and revoked, oldest first. */
export async function listPersonalTokensOf(db: Queryable, userId: string): Promise<Token[]> {
  const { rows } = await db.query<Token>(
    `select ${TOKEN_COLUMNS} from api_token where kind = 'personal' and user_id = $1 order by created_at, id`,
    [userId],
  );
  return rows;
}
