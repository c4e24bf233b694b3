import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import { queryKeys, useProjects, useUsers } from '../api/queries.js';
import type { CreatedUser, RoleGrant, User } from '../api/types.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FieldErrors } from '../components/FieldErrors.js';
import { TextField } from '../components/TextField.js';
import { personAnchor } from './person-anchor.js';

type Role = RoleGrant['role'];
// A record over the roles: a new role in the API's schema fails the type check here until it is offered.
const ROLE_NAMES: Record<Role, string> = { viewer: 'viewer', editor: 'editor', admin: 'admin' };
const ROLES = Object.keys(ROLE_NAMES) as Role[];
/** A grant on every project (docs/people.md). */
const EVERY_PROJECT = '*';

/** "editor on web", "admin on every project". */
export function grantText(grant: RoleGrant): string {
  return `${grant.role} on ${grant.project === EVERY_PROJECT ? 'every project' : grant.project}`;
}

/** People (admins only): their roles per project; invite one, change their roles, remove one (GET/POST/PATCH/DELETE /v1/users). */
export function PeoplePage() {
  const users = useUsers();
  const [invited, setInvited] = useState<CreatedUser>();
  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title">People</h1>
      {invited ? <InvitationOnce invited={invited} onDone={() => setInvited(undefined)} /> : <InviteForm onInvited={setInvited} />}
      <ErrorNote error={users.error} />
      <table className="table people">
        <caption className="visually-hidden">People and their roles</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Signs in with</th>
            <th scope="col">Roles</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((user) => (
            <PersonRow key={user.id} user={user} />
          ))}
        </tbody>
      </table>
      {users.data?.length === 0 && <p className="empty">Nobody yet: invite someone above.</p>}
    </section>
  );
}

const SIGN_IN: Record<User['signIn'], string> = { password: 'password', sso: 'single sign-on', invited: 'invited (not yet signed in)' };

/** The project choices of a role: every project, then each project the caller sees. */
function useProjectChoices(): string[] {
  const projects = useProjects();
  return [EVERY_PROJECT, ...(projects.data ?? []).map((project) => project.key)];
}

function ProjectOption({ project }: { project: string }) {
  return <option value={project}>{project === EVERY_PROJECT ? 'every project' : project}</option>;
}

function InviteForm({ onInvited }: { onInvited: (created: CreatedUser) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const projects = useProjectChoices();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [project, setProject] = useState(EVERY_PROJECT);
  const invite = useMutation({
    // No password: the answer carries the invitation link (docs/people.md).
    mutationFn: () => api.inviteUser({ email, name, roles: [{ role, project }] }),
    onSuccess: (created) => {
      client.setQueryData<User[]>(queryKeys.users, (users) => [...(users ?? []), created]);
      setEmail('');
      setName('');
      onInvited(created);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  const fieldLevel = invite.error instanceof ApiError && invite.error.details.length > 0;
  return (
    // noValidate: the API's answer names the field (the browser's own bubble would not reach a screen reader's flow the same way).
    <form className="card toolbar" onSubmit={submit} aria-label="Invite a person" noValidate>
      <TextField className="field" id="invite-email" label="Email" type="email" value={email} onChange={setEmail} error={invite.error} path={['email']} />
      <TextField className="field" id="invite-name" label="Name" value={name} onChange={setName} error={invite.error} path={['name']} />
      <div className="field">
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {ROLE_NAMES[option]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="invite-project">On</label>
        <select id="invite-project" value={project} onChange={(event) => setProject(event.target.value)}>
          {projects.map((option) => (
            <ProjectOption key={option} project={option} />
          ))}
        </select>
      </div>
      <button type="submit" className="primary" disabled={invite.isPending}>
        Invite
      </button>
      {!fieldLevel && <ErrorNote error={invite.error} />}
    </form>
  );
}

/** The invitation link of a new person, shown this once: FlagShip sends no email and keeps only its hash. */
function InvitationOnce({ invited, onDone }: { invited: CreatedUser; onDone: () => void }) {
  return (
    <div className="card secret" role="region" aria-label="Invitation link">
      {invited.invite ? (
        <>
          <p>
            <strong>Send {invited.name} this link now.</strong> It sets their password, works once, until {new Date(invited.invite.expiresAt).toLocaleString()}, and is
            not shown again.
          </p>
          <code className="secret-value" data-testid="invite-link">
            {invited.invite.url}
          </code>
        </>
      ) : (
        <p>{invited.name} was added.</p>
      )}
      <div className="form-actions">
        {invited.invite && <CopyButton text={invited.invite.url} label="Copy link" primary />}
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function PersonRow({ user }: { user: User }) {
  const api = useApi();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState(false);
  const replace = (changed: User) => client.setQueryData<User[]>(queryKeys.users, (users) => users?.map((known) => (known.id === changed.id ? changed : known)));
  const remove = useMutation({
    mutationFn: () => api.removeUser(user.id),
    onSuccess: (removed) => client.setQueryData<User[]>(queryKeys.users, (users) => users?.filter((known) => known.id !== removed.id)),
  });
  return (
    <tr id={personAnchor(user.id)} data-person={user.email} tabIndex={-1}>
      <th scope="row">{user.name}</th>
      <td>{user.email}</td>
      <td>{SIGN_IN[user.signIn]}</td>
      <td>
        {editing ? (
          <RolesEditor
            user={user}
            onDone={(changed) => {
              if (changed) replace(changed);
              setEditing(false);
            }}
          />
        ) : (
          <ul className="plain-list">
            {user.roles.map((grant) => (
              <li key={`${grant.project}:${grant.role}`}>{grantText(grant)}</li>
            ))}
            {user.roles.length === 0 && <li className="muted">no role</li>}
          </ul>
        )}
      </td>
      <td>
        <div className="row-actions">
          {!editing && (
            <button type="button" onClick={() => setEditing(true)} aria-label={`Change roles of ${user.name}…`}>
              Change roles…
            </button>
          )}
          {asking ? (
            <span className="confirm">
              <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
                Remove {user.name}
              </button>
              <button type="button" onClick={() => setAsking(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setAsking(true)} aria-label={`Remove ${user.name}…`}>
              Remove…
            </button>
          )}
        </div>
        <ErrorNote error={remove.error} />
      </td>
    </tr>
  );
}

/** A person's roles, one per project (PATCH /v1/users/{id} replaces them all). */
function RolesEditor({ user, onDone }: { user: User; onDone: (changed?: User) => void }) {
  const api = useApi();
  const projects = useProjectChoices();
  const [grants, setGrants] = useState<RoleGrant[]>(user.roles);
  const save = useMutation({ mutationFn: () => api.changeUser(user.id, { roles: grants }), onSuccess: (changed) => onDone(changed) });
  const set = (index: number, grant: Partial<RoleGrant>) => setGrants((all) => all.map((known, at) => (at === index ? { ...known, ...grant } : known)));
  const free = projects.find((project) => !grants.some((grant) => grant.project === project));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="roles-editor" onSubmit={submit} aria-label={`Roles of ${user.name}`}>
      {grants.map((grant, index) => (
        <fieldset key={index} className="grant">
          <legend className="visually-hidden">
            Role {index + 1} of {user.name}
          </legend>
          <select value={grant.role} onChange={(event) => set(index, { role: event.target.value as Role })} aria-label={`Role ${index + 1} of ${user.name}`}>
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {ROLE_NAMES[option]}
              </option>
            ))}
          </select>
          <span aria-hidden="true"> on </span>
          <select value={grant.project} onChange={(event) => set(index, { project: event.target.value })} aria-label={`Project of role ${index + 1} of ${user.name}`}>
            {[...new Set([grant.project, ...projects])].map((option) => (
              <ProjectOption key={option} project={option} />
            ))}
          </select>
          <button type="button" onClick={() => setGrants((all) => all.filter((_, at) => at !== index))} aria-label={`Remove role ${index + 1} of ${user.name}`}>
            Remove
          </button>
          <FieldErrors error={save.error} path={['roles', index]} id={`grant-${user.id}-${index}-error`} />
        </fieldset>
      ))}
      <div className="form-actions">
        {free !== undefined && (
          <button type="button" onClick={() => setGrants((all) => [...all, { role: 'viewer', project: free }])}>
            Add a role
          </button>
        )}
        <button type="submit" className="primary" disabled={save.isPending}>
          Save roles
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
      {!(save.error instanceof ApiError && save.error.messagesAt(['roles']).length > 0) && <ErrorNote error={save.error} />}
      <FieldErrors error={save.error} path={['roles']} exact id={`grants-${user.id}-error`} />
    </form>
  );
}
