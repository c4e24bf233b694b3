import type { ChangeEvent } from '../api/types.js';

type Actor = ChangeEvent['actor'];

const TYPE_WORD: Record<Actor['type'], string> = {
  user: 'user',
  token: 'token',
  ramp: 'ramp',
  schedule: 'schedule',
  'change-request': 'change request',
  system: 'system',
};

/** Who made a change, as the audit log shows it: the name, what it is, and a person's email. */
export function ActorName({ actor }: { actor: Actor }) {
  return (
    <strong className="actor" data-actor-type={actor.type} data-actor-id={actor.id} title={actor.email ?? actor.id}>
      {actor.name}
      {actor.type !== 'user' && actor.type !== 'system' && <span className="muted small"> ({TYPE_WORD[actor.type]})</span>}
      {actor.email !== undefined && actor.email !== actor.name && <span className="muted small"> &lt;{actor.email}&gt;</span>}
    </strong>
  );
}
