/**
 * What an actor may do with files and folders (src/permissions/files.ts), over actors written out
 * by hand: each policy's letters, which of a folder's files and subfolders a partial reader sees,
 * and which folders a reader can reach.
 */
import { describe, expect, it } from 'vitest';
import {
  filePolicy,
  folderChain,
  folderPolicy,
  reachableFolders,
  readableInEntity,
  visibleInFolder,
} from '../../src/permissions/files.js';
import { itemChain } from '../../src/permissions/scopes.js';
import { builtIn, entity, folder, item, person } from '../helpers/actors.js';

/** Grace: a contact admitted at e1, a Viewer of file f1 and folder d1, and a role without File R on f3. */
const grace = person(
  'contact',
  [
    ['contact_entity_access', entity('e1')],
    ['contact_viewer', item('f1')],
    ['contact_viewer', folder('d1')],
    ['uploader', item('f3')],
  ],
  {
    contact_entity_access: builtIn('contact_entity_access'),
    contact_viewer: builtIn('contact_viewer'),
    uploader: ['file:C'],
  },
);

describe('what an actor may do with a file or folder', () => {
  it('gives a file policy letter by letter', () => {
    const chain = itemChain('e1', 'f1');
    expect(filePolicy(grace, chain)).toEqual({ read: true, edit: false, delete: false });
    const deleter = person('staff', [['d', entity('e1')]], { d: ['file:D'] });
    expect(filePolicy(deleter, chain)).toEqual({ read: false, edit: false, delete: true });
  });

  it('lets an empty folder be deleted with File E or File D, and nothing else', () => {
    const chain = folderChain('e1', { id: 'd1', path: '' });
    const deleter = person('staff', [['d', entity('e1')]], { d: ['file:D'] });
    expect(folderPolicy(deleter, chain)).toEqual({
      create: false,
      readAll: false,
      rename: false,
      deleteWhenEmpty: true,
    });
    const editor = person('staff', [['e', entity('e1')]], { e: ['file:E'] });
    expect(folderPolicy(editor, chain).deleteWhenEmpty).toBe(true);
    const reader = person('staff', [['r', entity('e1')]], { r: ['file:R', 'file:C'] });
    expect(folderPolicy(reader, chain)).toEqual({
      create: true,
      readAll: true,
      rename: false,
      deleteWhenEmpty: false,
    });
  });
});

describe('which of a folder’s files and subfolders a listing shows', () => {
  it('shows a reader of the whole folder everything', () => {
    const viewer = person('staff', [['viewer', entity('e1')]], { viewer: builtIn('viewer') });
    expect(visibleInFolder(viewer, folderChain('e1', null))).toEqual({ all: true });
  });

  it('shows a partial reader the files and folders shared with them that they may read, each in its place', () => {
    expect(visibleInFolder(grace, folderChain('e1', null))).toEqual({
      all: false,
      fileIds: ['f1'],
      folderIds: ['d1'],
    });
  });

  it('shows a contact nothing once their entity no longer admits them', () => {
    const unadmitted = person(
      'contact',
      grace.bindings.slice(1).map((b) => [b.roleId, b.scope]),
      {
        contact_viewer: builtIn('contact_viewer'),
        uploader: ['file:C'],
      },
    );
    expect(visibleInFolder(unadmitted, folderChain('e1', null))).toEqual({
      all: false,
      fileIds: [],
      folderIds: [],
    });
  });
});

describe('which of an entity’s files a reader across its folders may read', () => {
  it('counts an item role only when it reads the file', () => {
    expect(
      readableInEntity(grace, 'e1', [
        { id: 'd1', path: '' },
        { id: 'd2', path: '' },
      ]),
    ).toEqual({
      all: false,
      folderIds: ['d1'],
      fileIds: ['f1'],
    });
  });

  it('reaches every folder on the way down to what is shared, and ignores folders it does not know', () => {
    const folders = [
      { id: 'd1', path: '' },
      { id: 'd2', path: 'd1' },
      { id: 'd3', path: 'd1/d2' },
      { id: 'x', path: '' },
    ];
    expect([...reachableFolders({ folderIds: ['d3'] }, folders, ['gone'])].sort()).toEqual([
      'd1',
      'd2',
      'd3',
    ]);
    expect([...reachableFolders({ folderIds: [] }, folders, ['d2'])].sort()).toEqual(['d1', 'd2']);
  });
});
