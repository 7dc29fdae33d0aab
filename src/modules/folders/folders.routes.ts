import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from '../../lib/schemas.ts';
import { callerOf } from '../../plugins/auth.ts';
import { ProjectIdParamsSchema } from '../projects/projects.schemas.ts';
import {
  CreateFolderBodySchema,
  DeleteFolderQuerySchema,
  FolderListQuerySchema,
  FolderListSchema,
  FolderParamsSchema,
  FolderSchema,
  FolderWithCountsSchema,
  pick,
  toFolderDto,
  toFolderFilter,
  UpdateFolderBodySchema,
} from './folders.schemas.ts';

const TAGS = ['Folders'];
const refused = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const foldersRoutes: FastifyPluginAsyncZod = async (app) => {
  const { folders } = app.services;

  app.get(
    '/projects/:projectId/folders',
    {
      config: { scopes: ['folder:list'] },
      schema: {
        operationId: 'getFolders',
        summary: 'List a project’s folders',
        tags: TAGS,
        params: ProjectIdParamsSchema,
        querystring: FolderListQuerySchema,
        response: { 200: FolderListSchema, ...refused },
      },
    },
    async (request) => {
      const { filter, select, sortBy, skip, take } = request.query;
      const page = await folders.list(
        request.params.projectId,
        { filter: toFolderFilter(filter), order: sortBy, skip, take },
        request.grant!,
      );
      return { count: page.count, data: page.folders.map((f) => pick(toFolderDto(f), select)) };
    },
  );

  app.post(
    '/projects/:projectId/folders',
    {
      config: { scopes: ['folder:create'] },
      schema: {
        operationId: 'createFolder',
        summary: 'Create a folder, at the project’s top level or in another folder',
        tags: TAGS,
        params: ProjectIdParamsSchema,
        body: CreateFolderBodySchema,
        response: { 201: FolderSchema, ...refused },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toFolderDto(await folders.create(request.params.projectId, request.body, request.grant!))),
  );

  app.get(
    '/projects/:projectId/folders/:folderId',
    {
      config: { scopes: ['folder:read'] },
      schema: {
        operationId: 'getFolder',
        summary: 'Get a folder, with how many folders and workflows are directly in it',
        tags: TAGS,
        params: FolderParamsSchema,
        response: { 200: FolderWithCountsSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const folder = await folders.get(request.params.projectId, request.params.folderId, request.grant!);
      return { ...toFolderDto(folder), totalSubFolders: folder.totalSubFolders, totalWorkflows: folder.totalWorkflows };
    },
  );

  app.patch(
    '/projects/:projectId/folders/:folderId',
    {
      config: { scopes: ['folder:update'] },
      schema: {
        operationId: 'updateFolder',
        summary: 'Rename a folder or move it into another (never into itself or a folder inside it)',
        tags: TAGS,
        params: FolderParamsSchema,
        body: UpdateFolderBodySchema,
        response: { 200: FolderSchema, ...refused },
      },
    },
    async (request) => toFolderDto(await folders.update(request.params.projectId, request.params.folderId, request.body, request.grant!)),
  );

  app.delete(
    '/projects/:projectId/folders/:folderId',
    {
      config: { scopes: ['folder:delete'] },
      schema: {
        operationId: 'deleteFolder',
        summary: 'Delete a folder: its content goes to transferToFolderId, or its workflows are archived',
        tags: TAGS,
        params: FolderParamsSchema,
        querystring: DeleteFolderQuerySchema,
        response: { 204: z.null().describe('Deleted'), ...refused },
      },
    },
    async (request, reply) => {
      const { projectId, folderId } = request.params;
      await folders.delete(projectId, folderId, request.query.transferToFolderId, callerOf(request));
      return reply.status(204).send(null);
    },
  );
};
