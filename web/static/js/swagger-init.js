// Starts Swagger UI on the API docs page (/schema/swagger). A file rather than
// the inline script Litestar writes, so the page runs under the site's
// Content-Security-Policy (script-src 'self').
(function () {
  "use strict";
  var container = document.getElementById("swagger-container");
  if (!container || typeof SwaggerUIBundle === "undefined") return;
  var csrfCookie = container.dataset.csrfCookie;
  var csrfHeader = container.dataset.csrfHeader;

  function cookie(name) {
    var match = document.cookie.split("; ").find(function (part) {
      return part.indexOf(name + "=") === 0;
    });
    return match ? decodeURIComponent(match.slice(name.length + 1)) : undefined;
  }

  window.ui = SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-container",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    // "Try it out" from a logged-in browser: send the CSRF token like the pages do.
    requestInterceptor: function (request) {
      var token = csrfCookie ? cookie(csrfCookie) : undefined;
      if (token !== undefined && csrfHeader) request.headers[csrfHeader] = token;
      return request;
    },
  });
})();
