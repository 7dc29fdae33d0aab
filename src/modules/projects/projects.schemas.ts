import { z } from 'zod';
import type { Project, ProjectMember } from './projects.repository.ts';

export const ProjectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(['personal', 'team']),
    icon: z.unknown().nullable(),
    description: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Project' });

export const ProjectListSchema = z.object({ data: z.array(ProjectSchema), nextCursor: z.string().nullable() });

/** POST /projects answers the project with the creator's role there and what it lets them do. */
export const CreatedProjectSchema = ProjectSchema.extend({ role: z.string(), scopes: z.array(z.string()) });

/** n8n: a name of 1 to 255 characters, and nothing else. */
export const ProjectBodySchema = z.strictObject({ name: z.string().trim().min(1).max(255) });

export const ProjectIdParamsSchema = z.object({ projectId: z.string().min(1).max(64) });
export const ProjectMemberParamsSchema = ProjectIdParamsSchema.extend({ userId: z.string().min(1).max(64) });

const RoleSlugSchema = z.string().min(1).max(128).describe('project:admin, project:editor, project:viewer or a custom project role');

/** At most 100 members per request: every size a client controls is bounded. */
export const AddMembersBodySchema = z.strictObject({
  relations: z
    .array(z.strictObject({ userId: z.string().min(1).max(64), role: RoleSlugSchema }))
    .min(1)
    .max(100),
});

export const ChangeMemberRoleBodySchema = z.strictObject({ role: RoleSlugSchema });

export const ProjectMemberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    role: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProjectMember' });

export const ProjectMemberListSchema = z.object({ data: z.array(ProjectMemberSchema), nextCursor: z.string().nullable() });

export function toProjectDto(project: Project): z.infer<typeof ProjectSchema> {
  return {
    id: project.id,
    name: project.name,
    type: project.type as 'personal' | 'team',
    icon: project.icon ?? null,
    description: project.description,
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  };
}

export function toProjectMemberDto(member: ProjectMember): z.infer<typeof ProjectMemberSchema> {
  return { ...member, createdAt: member.createdAt.toISOString(), updatedAt: member.updatedAt.toISOString() };
}
