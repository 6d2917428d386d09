import { GraphQLError, GraphQLScalarType } from 'graphql';
import { Upload } from 'graphql-upload-minimal';
import { missingFileError } from '../../application/detectionUseCases';

/**
 * graphql-upload-minimal's Upload scalar (the same name and values), except that a file which
 * never arrives is IMM's MissingParameter: type-graphql awaits the file before the resolver runs,
 * so the library's own HTTP error would reach the client as an internal one.
 */
export const UploadScalar = new GraphQLScalarType({
  name: 'Upload',
  description:
    'A file sent with the request: a multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec) whose map names this variable.',
  parseValue(value) {
    if (!(value instanceof Upload))
      throw new GraphQLError('An Upload is a file sent as a part of a multipart request (docs/api.md#upload), not a value.');
    const file = value.promise.catch((error: unknown) => {
      throw missingFileError(error);
    });
    // Handled here too: an operation refused before its resolver runs never awaits it.
    file.catch(() => undefined);
    return file;
  },
  parseLiteral(node) {
    throw new GraphQLError('An Upload is a file sent as a part of a multipart request (docs/api.md#upload), not a literal.', {
      nodes: node,
    });
  },
  serialize() {
    throw new GraphQLError('Upload is for input only.');
  },
});
