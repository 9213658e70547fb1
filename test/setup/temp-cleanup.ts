// Registered first, so it runs after the test file's own afterAll hooks (sandboxes closed first).
import { afterAll } from 'vitest';
import { removeTempDirs } from '../helpers/temp.js';

afterAll(() => removeTempDirs());
