import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** multipart/form-data for uploads: one file, a few short fields, the upload size limit. */
async function multipartPlugin(app: FastifyInstance) {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: app.config.limits.uploadBytes,
      files: 1,
      fields: 10,
      fieldSize: 1000,
      parts: 20,
      headerPairs: 100,
    },
  });
}

export default fp(multipartPlugin, { name: 'multipart', dependencies: ['config'] });
