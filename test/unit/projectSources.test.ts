import { ApiError } from '../../src/api/errors';
import { checkProjectSources } from '../../src/projects/projectSources';
import { grantsObject } from '../../src/storage/sourceGrant';

const SERVER_ROOTS = ['/srv/photos', '/data'];
const fieldOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('InvalidArgument');
    return (error as ApiError).details.field;
  }
  throw new Error('expected InvalidArgument');
};

describe('checkProjectSources', () => {
  it('keeps what is well formed, without duplicates; left-out parts grant nothing', () => {
    expect(
      checkProjectSources(
        {
          fileRoots: ['/srv/photos/a/', '/srv/photos/a', '/data'],
          storageProfiles: [{ profile: 'oss-hz', buckets: ['b-two', 'b-one', 'b-two'] }, { profile: 'local' }],
        },
        SERVER_ROOTS,
      ),
    ).toEqual({
      allServerSources: false,
      storageProfiles: [
        { profile: 'oss-hz', buckets: ['b-one', 'b-two'] },
        { profile: 'local', buckets: null },
      ],
      fileRoots: ['/srv/photos/a', '/data'],
      https: false,
      uploadTo: null,
    });
    expect(checkProjectSources({}, SERVER_ROOTS)).toEqual({
      allServerSources: false,
      storageProfiles: [],
      fileRoots: [],
      https: false,
      uploadTo: null,
    });
  });

  it.each([
    [
      'a prefix, given without its slash',
      { storageProfiles: [{ profile: 'p', buckets: ['photos'] }], uploadTo: 'oss://photos/in/box' },
      'oss://photos/in/box/',
    ],
    [
      'a whole bucket of a profile listing every bucket',
      { storageProfiles: [{ profile: 'p' }], uploadTo: 's3://any-bucket' },
      's3://any-bucket/',
    ],
    ['a folder inside a file root', { fileRoots: ['/data'], uploadTo: 'file:///data/up%20loads//' }, 'file:///data/up loads/'],
    ['a file root itself', { fileRoots: ['/data'], uploadTo: 'file:///data' }, 'file:///data/'],
  ])('keeps uploadTo as a folder URI: %s', (_label, request, uploadTo) => {
    expect(checkProjectSources(request, SERVER_ROOTS).uploadTo).toBe(uploadTo);
  });

  it.each([
    ['a bucket no profile lists', { storageProfiles: [{ profile: 'p', buckets: ['photos'] }], uploadTo: 's3://other/x/' }],
    ['a folder outside the file roots', { fileRoots: ['/data/a'], uploadTo: 'file:///data/b/' }],
    ['a folder climbing out', { fileRoots: ['/data/a'], uploadTo: 'file:///data/a/../b/' }],
    ['an https address', { https: true, uploadTo: 'https://example.com/x/' }],
    ['no URI at all', { fileRoots: ['/data'], uploadTo: '/data/x' }],
  ])('refuses uploadTo: %s', (_label, request) => {
    expect(fieldOf(() => checkProjectSources(request, SERVER_ROOTS))).toBe('sources.uploadTo');
  });

  it.each([
    ['a relative folder', { fileRoots: ['srv/photos'] }, 'sources.fileRoots[0]'],
    ['a folder outside FILE_ROOTS', { fileRoots: ['/srv/photos', '/etc'] }, 'sources.fileRoots[1]'],
    ['a sibling that shares a prefix', { fileRoots: ['/srv/photos-private'] }, 'sources.fileRoots[0]'],
    ['a ".." climbing out', { fileRoots: ['/srv/photos/../../etc'] }, 'sources.fileRoots[0]'],
    ['a "." segment', { fileRoots: ['/srv/photos/./a'] }, 'sources.fileRoots[0]'],
    ['an empty profile name', { storageProfiles: [{ profile: '' }] }, 'sources.storageProfiles[0].profile'],
    ['a profile name with a slash', { storageProfiles: [{ profile: 'a/b' }] }, 'sources.storageProfiles[0].profile'],
    ['a bucket that is not one', { storageProfiles: [{ profile: 'p', buckets: ['UPPER'] }] }, 'sources.storageProfiles[0].buckets'],
    ['a profile named twice', { storageProfiles: [{ profile: 'p' }, { profile: 'p', buckets: ['abc'] }] }, 'sources.storageProfiles'],
    ['too many file roots', { fileRoots: Array.from({ length: 33 }, (_, i) => `/data/${i}`) }, 'sources.fileRoots'],
  ])('refuses %s', (_label, request, field) => {
    expect(fieldOf(() => checkProjectSources(request, SERVER_ROOTS))).toBe(field);
  });

  it('refuses every file root when the server has none', () => {
    expect(fieldOf(() => checkProjectSources({ fileRoots: ['/srv/photos'] }, []))).toBe('sources.fileRoots[0]');
  });
});

describe('grantsObject', () => {
  const grant = checkProjectSources({ storageProfiles: [{ profile: 'limited', buckets: ['abc'] }, { profile: 'open' }] }, []);

  it('grants listed profiles, limited to their buckets when they list some', () => {
    expect(grantsObject(grant, 'limited', 'abc')).toBe(true);
    expect(grantsObject(grant, 'limited', 'abd')).toBe(false);
    expect(grantsObject(grant, 'open', 'anything')).toBe(true);
    expect(grantsObject(grant, 'unlisted', 'abc')).toBe(false);
    expect(grantsObject({ ...grant, storageProfiles: [], allServerSources: true }, 'unlisted', 'abc')).toBe(true);
  });
});
