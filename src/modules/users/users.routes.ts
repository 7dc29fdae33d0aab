import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from '../../lib/schemas.ts';
import {
  ChangeRoleBodySchema,
  DeleteUserQuerySchema,
  InvitedUsersSchema,
  InviteUsersBodySchema,
  toUserDto,
  UserGetQuerySchema,
  UserIdentifierParamsSchema,
  UserListQuerySchema,
  UserListSchema,
  UserSchema,
} from './users.schemas.ts';

const TAGS = ['User'];

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const users = app.services.users;

  app.get(
    '/users',
    {
      config: { scopes: ['user:list'] },
      schema: {
        operationId: 'getUsers',
        summary: 'List users',
        tags: TAGS,
        querystring: UserListQuerySchema,
        response: { 200: UserListSchema },
      },
    },
    async (request) => {
      const page = await users.list(request.query);
      return { data: page.data.map((u) => toUserDto(u, request.query.includeRole)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/users',
    {
      config: { scopes: ['user:create'] },
      schema: {
        operationId: 'createUser',
        summary: 'Invite users (each gets a personal project); no mail is sent: create their API key with the CLI',
        tags: TAGS,
        body: InviteUsersBodySchema,
        response: { 201: InvitedUsersSchema, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      const invited = await users.invite(request.body);
      request.log.info({ users: invited.map((i) => i.user.id), byApiKeyId: request.principal!.apiKeyId }, 'users invited');
      return reply.status(201).send(invited);
    },
  );

  app.get(
    '/users/:id',
    {
      config: { scopes: ['user:read'] },
      schema: {
        operationId: 'getUser',
        summary: 'Get a user by id or email',
        tags: TAGS,
        params: UserIdentifierParamsSchema,
        querystring: UserGetQuerySchema,
        response: { 200: UserSchema, 404: ErrorSchema },
      },
    },
    async (request) => toUserDto(await users.get(request.params.id), request.query.includeRole),
  );

  app.delete(
    '/users/:id',
    {
      config: { scopes: ['user:delete'] },
      schema: {
        operationId: 'deleteUser',
        summary: 'Delete a user and their keys; transferId hands their workflows and credentials to another user',
        tags: TAGS,
        params: UserIdentifierParamsSchema,
        querystring: DeleteUserQuerySchema,
        response: { 204: z.null().describe('Deleted'), 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await users.delete(request.principal!, request.params.id, request.query.transferId);
      request.log.info({ user: request.params.id, byApiKeyId: request.principal!.apiKeyId }, 'user deleted');
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/users/:id/role',
    {
      config: { scopes: ['user:changeRole'] },
      schema: {
        operationId: 'changeRole',
        summary: 'Change a user’s global role; their keys follow at once (other instances within the key-cache TTL)',
        tags: TAGS,
        params: UserIdentifierParamsSchema,
        body: ChangeRoleBodySchema,
        response: { 200: z.null().describe('Changed'), 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await users.changeRole(request.principal!, request.params.id, request.body.newRoleName);
      request.log.info(
        { user: request.params.id, role: request.body.newRoleName, byApiKeyId: request.principal!.apiKeyId },
        'user role changed',
      );
      return reply.status(200).send(null);
    },
  );
};
