// The client scopes every client of a new realm gets (Keycloak's realm defaults): what a client's
// representation lists and what a token request may ask for besides `openid`.
export const DEFAULT_CLIENT_SCOPES = ['web-origins', 'acr', 'profile', 'roles', 'basic', 'email'];
export const OPTIONAL_CLIENT_SCOPES = ['address', 'phone', 'offline_access', 'organization', 'microprofile-jwt'];
