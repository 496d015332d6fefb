export { filesFeature, UPLOAD_PATHS, uploadBodyLimits } from './feature.js';
