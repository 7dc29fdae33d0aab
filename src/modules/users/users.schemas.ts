import { z } from 'zod';
import { LimitQuerySchema } from '../../lib/schemas.ts';
import type { User } from './users.repository.ts';

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    isPending: z.boolean().describe('Invited and without an API key yet'),
    mfaEnabled: z.boolean().describe('Always false: users act through API keys, with no password login'),
    role: z.string().optional().describe('With includeRole=true'),
  })
  .meta({ id: 'User' });

export const UserListSchema = z.object({ data: z.array(UserSchema), nextCursor: z.string().nullable() });

const includeRole = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

export const UserListQuerySchema = z.object({
  limit: LimitQuerySchema,
  cursor: z.string().optional().describe('The nextCursor of the previous page'),
  includeRole,
  projectId: z.string().max(64).optional().describe('Only members of this project'),
});

export const UserGetQuerySchema = z.object({ includeRole });

export const UserIdentifierParamsSchema = z.object({ id: z.string().min(1).max(255).describe('The user’s id or email') });

/** At most 100 invitations per request: every size a client controls is bounded. */
export const InviteUsersBodySchema = z
  .array(
    z.strictObject({
      // n8n's words for a bad address.
      email: z.email({ message: 'must match format "email"' }).max(255),
      role: z.string().min(1).max(128).optional().describe('A global role (default global:member); not global:owner'),
    }),
  )
  .min(1)
  .max(100);

export const InvitedUsersSchema = z.array(
  z.object({
    user: z.object({ id: z.string(), email: z.string(), emailSent: z.boolean(), role: z.string() }),
    error: z.string(),
  }),
);

export const DeleteUserQuerySchema = z.object({
  transferId: z.string().max(64).optional().describe('Hand the user’s workflows and credentials to this user’s personal project'),
});

export const ChangeRoleBodySchema = z.strictObject({ newRoleName: z.string().min(1).max(128) });

export function toUserDto(user: User, withRole = false): z.infer<typeof UserSchema> {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    isPending: user.isPending,
    mfaEnabled: false,
    ...(withRole ? { role: user.role } : {}),
  };
}
