import { databaseNameFromUrl, isMongoUrl } from './mongo-url';

describe('MongoDB connection strings', () => {
  it.each([
    ['mongodb://localhost:27017/ses_prod', 'ses_prod'],
    ['mongodb://user:p%40ss@h1:27017,h2:27018/licensing?replicaSet=rs0', 'licensing'],
    ['mongodb+srv://cluster0.example.net/my%2Ddb?retryWrites=true', 'my-db'],
    ['mongodb://localhost:27017', undefined],
    ['mongodb://localhost:27017/', undefined],
    ['mongodb://localhost/?authSource=admin', undefined],
  ])('%s names database %s', (url, expected) => {
    expect(databaseNameFromUrl(url)).toBe(expected);
  });

  it('recognises only mongodb schemes', () => {
    expect(isMongoUrl('mongodb://h')).toBe(true);
    expect(isMongoUrl('mongodb+srv://h')).toBe(true);
    expect(isMongoUrl('postgres://h/db')).toBe(false);
    expect(isMongoUrl('/var/data/read.sqlite')).toBe(false);
  });
});
