import { z } from 'zod';
import type { RoleView } from './roles.service.ts';

export const RoleSchema = z
  .object({
    slug: z.string(),
    displayName: z.string(),
    description: z.string().nullable(),
    systemRole: z.boolean(),
    roleType: z.enum(['global', 'project']),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    licensed: z.boolean().describe('Always true: no feature of flowgate needs a license'),
    usedByUsers: z.number().int().optional().describe('With withUsageCount=true: users holding the role (globally or in a project)'),
  })
  .meta({ id: 'RolePublic' });

export const RoleListSchema = z.object({ global: z.array(RoleSchema), project: z.array(RoleSchema) });

export const WithUsageCountQuerySchema = z.object({
  withUsageCount: z.enum(['true', 'false']).default('false').describe('Add usedByUsers to each role'),
});

export const SlugParamsSchema = z.object({ slug: z.string().min(1).max(128) });

const scopesField = z.array(z.string().min(1).max(128)).max(500);

export const CreateRoleBodySchema = z.strictObject({
  displayName: z.string().trim().min(2).max(100),
  description: z.string().max(500).nullable().optional(),
  roleType: z.enum(['project', 'global']),
  scopes: scopesField,
});

export const UpdateRoleBodySchema = z.strictObject({
  displayName: z.string().trim().min(2).max(100),
  description: z.string().max(500).nullable().optional(),
  scopes: scopesField,
});

export const DeleteRoleQuerySchema = z.object({
  reassignRoleSlug: z.string().min(1).max(128).optional().describe('Who holds the role gets this one instead (required while anyone does)'),
});

export function toRoleDto(role: RoleView): z.infer<typeof RoleSchema> {
  return {
    slug: role.slug,
    displayName: role.displayName,
    description: role.description,
    systemRole: role.systemRole,
    roleType: role.roleType,
    scopes: [...role.scopes],
    createdAt: role.createdAt.toISOString(),
    updatedAt: role.updatedAt.toISOString(),
    licensed: true,
    ...(role.usedByUsers !== undefined ? { usedByUsers: role.usedByUsers } : {}),
  };
}
