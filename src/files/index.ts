export { filesFeature, UPLOAD_PATH, uploadBodyLimits } from './feature.js';
