/**
 * Deployment manifests: iotedgedev-style templates expanded into one manifest per platform ({@link
 * io.edgeai4j.deployment.TemplateExpander}, {@link io.edgeai4j.deployment.DeploymentTemplate}), the modules'
 * {@code module.json} descriptors ({@link io.edgeai4j.deployment.ModuleDescriptors}), and a validator that finds,
 * before deployment, what {@code az iot edge set-modules} lets through and a device would fail on ({@link
 * io.edgeai4j.deployment.ManifestValidator}).
 */
package io.edgeai4j.deployment;
