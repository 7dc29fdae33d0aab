import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema, PaginationQuerySchema } from '../../lib/schemas.ts';
import { scopesOfRole } from '../roles/access.ts';
import {
  AddMembersBodySchema,
  ChangeMemberRoleBodySchema,
  CreatedProjectSchema,
  ProjectBodySchema,
  ProjectIdParamsSchema,
  ProjectListSchema,
  ProjectMemberListSchema,
  ProjectMemberParamsSchema,
  toProjectDto,
  toProjectMemberDto,
} from './projects.schemas.ts';

const TAGS = ['Projects'];
const CREATOR_ROLE = 'project:admin';
const NO_CUSTOM_ROLES = new Map<string, readonly string[]>();
const written = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const projectsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { projects } = app.services;

  app.get(
    '/projects',
    {
      config: { scopes: ['project:list'] },
      schema: {
        operationId: 'getProjects',
        summary: 'List projects: all of them for owner and admin, the ones they are in for members',
        tags: TAGS,
        querystring: PaginationQuerySchema,
        response: { 200: ProjectListSchema },
      },
    },
    async (request) => {
      const page = await projects.list(request.query, request.grant!);
      return { data: page.data.map(toProjectDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/projects',
    {
      config: { scopes: ['project:create'] },
      schema: {
        operationId: 'createProject',
        summary: 'Create a team project, with the caller as its project:admin',
        tags: TAGS,
        body: ProjectBodySchema,
        response: { 201: CreatedProjectSchema, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      const grant = request.grant!;
      const project = await projects.create(request.body.name, grant);
      const scopes = [...new Set([...grant.access.globalScopes, ...scopesOfRole(CREATOR_ROLE, NO_CUSTOM_ROLES)])].sort();
      request.log.info({ project: project.id, byApiKeyId: request.principal!.apiKeyId }, 'project created');
      return reply.status(201).send({ ...toProjectDto(project), role: CREATOR_ROLE, scopes });
    },
  );

  app.put(
    '/projects/:projectId',
    {
      config: { scopes: ['project:update'] },
      schema: {
        operationId: 'updateProject',
        summary: 'Rename a team project',
        tags: TAGS,
        params: ProjectIdParamsSchema,
        body: ProjectBodySchema,
        response: { 204: z.null().describe('Updated'), ...written },
      },
    },
    async (request, reply) => {
      await projects.rename(request.params.projectId, request.body.name, request.grant!);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/projects/:projectId',
    {
      config: { scopes: ['project:delete'] },
      schema: {
        operationId: 'deleteProject',
        summary: 'Delete a team project with its workflows, their executions, and its credentials',
        tags: TAGS,
        params: ProjectIdParamsSchema,
        response: { 204: z.null().describe('Deleted'), ...written },
      },
    },
    async (request, reply) => {
      await projects.delete(request.params.projectId, request.grant!);
      request.log.info({ project: request.params.projectId, byApiKeyId: request.principal!.apiKeyId }, 'project deleted');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/projects/:projectId/users',
    {
      config: { scopes: ['user:list'] },
      schema: {
        operationId: 'getProjectUsers',
        summary: 'List a project’s members with their roles',
        tags: TAGS,
        params: ProjectIdParamsSchema,
        querystring: PaginationQuerySchema,
        response: { 200: ProjectMemberListSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const page = await projects.members(request.params.projectId, request.query, request.grant!);
      return { data: page.data.map(toProjectMemberDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/projects/:projectId/users',
    {
      config: { scopes: ['project:manageMembers'] },
      schema: {
        operationId: 'addUsersToProject',
        summary: 'Add members to a team project (a member already there gets the role given)',
        tags: TAGS,
        params: ProjectIdParamsSchema,
        body: AddMembersBodySchema,
        response: { 201: z.null().describe('Added'), ...written },
      },
    },
    async (request, reply) => {
      await projects.addMembers(request.params.projectId, request.body.relations, request.grant!);
      return reply.status(201).send(null);
    },
  );

  app.patch(
    '/projects/:projectId/users/:userId',
    {
      config: { scopes: ['project:manageMembers'] },
      schema: {
        operationId: 'changeUserRoleInProject',
        summary: 'Change a member’s role in a team project',
        tags: TAGS,
        params: ProjectMemberParamsSchema,
        body: ChangeMemberRoleBodySchema,
        response: { 204: z.null().describe('Changed'), ...written },
      },
    },
    async (request, reply) => {
      await projects.changeMemberRole(request.params.projectId, request.params.userId, request.body.role, request.grant!);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/projects/:projectId/users/:userId',
    {
      config: { scopes: ['project:manageMembers'] },
      schema: {
        operationId: 'deleteUserFromProject',
        summary: 'Remove a member from a team project (no-op for a user who is not one)',
        tags: TAGS,
        params: ProjectMemberParamsSchema,
        response: { 204: z.null().describe('Removed'), ...written },
      },
    },
    async (request, reply) => {
      await projects.removeMember(request.params.projectId, request.params.userId, request.grant!);
      return reply.status(204).send(null);
    },
  );
};
