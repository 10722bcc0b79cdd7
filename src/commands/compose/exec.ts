import { notOnFargate } from '../../cli/not-on-fargate.js';

export default notOnFargate('exec');
