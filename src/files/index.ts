export { filesFeature, UPLOAD_PATHS, uploadBodyLimits } from './feature.js';
export { type Admission, type ScanDeps, scanIncoming, type Uploader } from './scan.js';
