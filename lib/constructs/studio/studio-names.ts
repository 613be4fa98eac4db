/** SageMaker's pattern for domain, user profile and space names. */
export const STUDIO_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
