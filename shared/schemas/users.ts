import { z } from 'zod';
import { EmailSchema, RoleGrantsSchema, UserNameSchema } from './people.js';

export const CreateUserSchema = z
  .strictObject({
    email: EmailSchema,
    name: UserNameSchema,
    roles: RoleGrantsSchema.default([]),
    password: z.string().optional().meta({
      description: 'A first password for a local account (12 to 256 characters, not the email). Without it, the answer carries an invitation link, or the person signs in with SSO.',
    }),
  })
  .meta({ id: 'CreateUser', description: 'A new user: email, name, roles (per project; \'*\' for every project), optionally a first password' });
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z
  .strictObject({
    email: EmailSchema.optional(),
    name: UserNameSchema.optional(),
    roles: RoleGrantsSchema.optional(),
  })
  .refine((change) => Object.keys(change).length > 0, { error: 'give at least one of email, name, roles' })
  .meta({ id: 'UpdateUser', description: 'What to change of a user; roles replace the previous ones and count from their next request' });
