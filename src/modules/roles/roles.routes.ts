import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorSchema } from '../../lib/schemas.ts';
import {
  CreateRoleBodySchema,
  DeleteRoleQuerySchema,
  RoleListSchema,
  RoleSchema,
  SlugParamsSchema,
  toRoleDto,
  UpdateRoleBodySchema,
  WithUsageCountQuerySchema,
} from './roles.schemas.ts';

const TAGS = ['Role'];

export const rolesRoutes: FastifyPluginAsyncZod = async (app) => {
  const roles = app.services.roles;

  app.get(
    '/roles',
    {
      config: { scopes: ['role:list'] },
      schema: {
        operationId: 'getAllRoles',
        summary: 'List the global and project roles: n8n’s system roles and custom ones',
        tags: TAGS,
        querystring: WithUsageCountQuerySchema,
        response: { 200: RoleListSchema },
      },
    },
    async (request) => {
      const list = await roles.list(request.query.withUsageCount === 'true');
      return { global: list.global.map(toRoleDto), project: list.project.map(toRoleDto) };
    },
  );

  app.get(
    '/roles/:slug',
    {
      config: { scopes: ['role:read'] },
      schema: {
        operationId: 'getRole',
        summary: 'Get a role by slug (for example global:member or project:editor)',
        tags: TAGS,
        params: SlugParamsSchema,
        querystring: WithUsageCountQuerySchema,
        response: { 200: RoleSchema, 404: ErrorSchema },
      },
    },
    async (request) => toRoleDto(await roles.get(request.params.slug, request.query.withUsageCount === 'true')),
  );

  app.post(
    '/roles',
    {
      config: { scopes: ['role:manage'] },
      schema: {
        operationId: 'createRole',
        summary: 'Create a custom global or project role from n8n’s scopes',
        tags: TAGS,
        body: CreateRoleBodySchema,
        response: { 201: RoleSchema, 400: ErrorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(toRoleDto(await roles.create(request.body))),
  );

  app.put(
    '/roles/:slug',
    {
      config: { scopes: ['role:manage'] },
      schema: {
        operationId: 'updateRole',
        summary: 'Change a custom role; its holders’ keys follow at once (other instances within the key-cache TTL)',
        tags: TAGS,
        params: SlugParamsSchema,
        body: UpdateRoleBodySchema,
        response: { 200: RoleSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => toRoleDto(await roles.update(request.params.slug, request.body)),
  );

  app.delete(
    '/roles/:slug',
    {
      config: { scopes: ['role:manage'] },
      schema: {
        operationId: 'deleteRole',
        summary: 'Delete a custom role, moving its holders to reassignRoleSlug',
        tags: TAGS,
        params: SlugParamsSchema,
        querystring: DeleteRoleQuerySchema,
        response: { 200: RoleSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => toRoleDto(await roles.delete(request.params.slug, request.query.reassignRoleSlug)),
  );
};
